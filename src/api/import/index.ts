// The profiles register the domain codes their rows may carry before the ImportIssueCode enum is built.
import '../../import/profiles/registry.js';
import { ImportJobFields } from './import-job.fields.js';
import { ImportJobResolver } from './import-job.resolver.js';
import { ImportTemplateFields } from './template.fields.js';
import { ImportTemplateResolver } from './template.resolver.js';

export const importResolvers = [ImportTemplateResolver, ImportTemplateFields, ImportJobResolver, ImportJobFields] as const;
export { registerImportIssueCodeEnum } from './import-job.types.js';
export { importTemplateById, importJobById } from './import.loaders.js';
export { ImportErrorCode } from '../../import/import.errors.js';
