export * from './pem';
export * from './keys';
export * from './generate';
export * from './files';
export * from './pairing';
