import { ImportTemplateFields } from './template.fields.js';
import { ImportTemplateResolver } from './template.resolver.js';

export const importResolvers = [ImportTemplateResolver, ImportTemplateFields] as const;
export { importTemplateById, importJobById } from './import.loaders.js';
export { ImportErrorCode } from './import.errors.js';
