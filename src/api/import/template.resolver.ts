import { Arg, Args, ArgsType, Ctx, Field, Mutation, Query, Resolver } from 'type-graphql';
import { idOfType, PageArgs, pageRequest, toConnection, toGlobalId, type ConnectionValue } from '../relay.js';
import { payload, type Payload } from '../../core/errors.js';
import type { RequestContext } from '../context.js';
import { AllowWriters } from '../allow.js';
import {
  ImportTemplateCreateInput,
  ImportTemplateDeleteInput,
  ImportTemplateDeletePayload,
  ImportTemplatePayload,
  ImportTemplateUpdateInput,
} from './dto/template.dto.js';
import type { ImportProfileName } from '../../import/import.entity.js';
import { importTemplateById, listImportTemplates } from './import.loaders.js';
import type { ImportTemplateRow } from '../../import/import.rows.js';
import { ImportProfileDescription, ImportProfileEnum, ImportTemplateConnection } from './import.types.js';
import { isMandatory, PROFILE_SPECS } from '../../import/profiles/catalog.js';
import { createTemplate, deleteTemplate, inputOptionName, updateTemplate } from '../../import/template.service.js';

@ArgsType()
class ImportTemplatesArgs extends PageArgs {
  @Field(() => ImportProfileEnum, { nullable: true, description: 'Only templates of this profile.' })
  profile?: ImportProfileName | null;
}

type TemplatePayload = Payload<{ template: ImportTemplateRow | null }>;

@Resolver()
export class ImportTemplateResolver {
  @Query(() => [ImportProfileDescription], { description: 'Every import profile: its fields (mandatory ones marked) and the options it takes.' })
  importProfiles(): ImportProfileDescription[] {
    return Object.values(PROFILE_SPECS).map((spec) => ({
      profile: spec.profile,
      description: spec.description,
      fields: spec.fields.map((field) => ({
        key: field.key,
        label: field.label,
        description: field.description,
        mandatory: isMandatory(field, spec.defaults ?? {}),
        family: field.family ?? false,
      })),
      options: spec.options.map(inputOptionName),
    }));
  }

  @Query(() => ImportTemplateConnection, { description: "The org's import templates in creation order." })
  async importTemplates(@Args(() => ImportTemplatesArgs) args: ImportTemplatesArgs, @Ctx() ctx: RequestContext): Promise<ConnectionValue<ImportTemplateRow>> {
    return toConnection(await listImportTemplates(ctx, args.profile, pageRequest(args)), (template) => template.id);
  }

  @AllowWriters()
  @Mutation(() => ImportTemplatePayload, { description: 'Creates an import template; every problem of the definition is reported at once.' })
  importTemplateCreate(
    @Arg('input', () => ImportTemplateCreateInput, { description: 'Name, profile, mapping and options.' }) input: ImportTemplateCreateInput,
    @Ctx() ctx: RequestContext,
  ): Promise<TemplatePayload> {
    return payload(async () => ({ template: await importTemplateById(ctx).load(await createTemplate(ctx, input)) }));
  }

  @AllowWriters()
  @Mutation(() => ImportTemplatePayload, { description: 'Renames a template or replaces its mapping or options. Jobs already started keep what they started with.' })
  importTemplateUpdate(
    @Arg('input', () => ImportTemplateUpdateInput, { description: 'The template and what changes.' }) input: ImportTemplateUpdateInput,
    @Ctx() ctx: RequestContext,
  ): Promise<TemplatePayload> {
    return payload(async () => {
      const id = await updateTemplate(ctx, { ...input, id: idOfType(input.id, 'ImportTemplate') });
      return { template: await importTemplateById(ctx).load(id) };
    });
  }

  @AllowWriters()
  @Mutation(() => ImportTemplateDeletePayload, { description: 'Retires a template: it is no longer listed and starts no jobs.' })
  importTemplateDelete(
    @Arg('input', () => ImportTemplateDeleteInput, { description: 'The template.' }) input: ImportTemplateDeleteInput,
    @Ctx() ctx: RequestContext,
  ): Promise<Payload<{ deletedTemplateId: string }>> {
    return payload(async () => ({ deletedTemplateId: toGlobalId('ImportTemplate', await deleteTemplate(ctx, idOfType(input.id, 'ImportTemplate'))) }));
  }
}
