// Size-capped readers live in src/core/files.ts (shared with JSON inputs); re-exported for the keys API.
export { MAX_INPUT_FILE_BYTES, readInputFile } from '../files';
