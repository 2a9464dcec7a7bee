export * from './rows';
export * from './format';
export * from './output';
export * from './pool';
export * from './signBatch';
export * from './header';
export * from './piece';
export * from './split';
