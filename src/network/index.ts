export * from './interfaces';
export * from './nf-kind';
export * from './capacity';
export * from './snssai';
export * from './qos';
export * from './network-function';
export * from './network-slice';
