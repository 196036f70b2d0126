export * from './trailers';
export * from './compose';
export * from './state';
export * from './gate';
export * from './publish-wave';
export * from './history';
