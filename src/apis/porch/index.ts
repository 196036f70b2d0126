// Porch (config.porch.kpt.dev) v1.4.0, the version Nephio R5 pins. PackageVariantSet is served as v1alpha2 only.
export * from './repository.generated';
export * from './package-variant.generated';
export * from './package-variant-set.generated';
