export { importTemplateById, importJobById } from './import.loaders.js';
export { ImportErrorCode } from '../../import/import.errors.js';
