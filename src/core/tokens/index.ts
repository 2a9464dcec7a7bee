export * from './constants';
export * from './sign';
export * from './inspect';
export * from './signature';
export * from './verify';
export * from './snippets';
