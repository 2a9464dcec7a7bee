export * from './rows';
export * from './output';
export * from './pool';
export * from './signBatch';
export * from './header';
