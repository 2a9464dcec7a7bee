export * from './keys';
export * from './duration';
export * from './mint';
export * from './jwks';
export * from './decode';
