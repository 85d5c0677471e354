import { ImportJobFields } from './import-job.fields.js';
import { ImportJobResolver } from './import-job.resolver.js';
import { ImportTemplateFields } from './template.fields.js';
import { ImportTemplateResolver } from './template.resolver.js';

export const importResolvers = [ImportTemplateResolver, ImportTemplateFields, ImportJobResolver, ImportJobFields] as const;
export { importTemplateById, importJobById } from './import.loaders.js';
export { ImportErrorCode } from '../../import/import.errors.js';
