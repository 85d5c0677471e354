import { registerEnumType } from 'type-graphql';

/** Turns a list of UPPERCASE values into a GraphQL enum registered under `name`, optionally describing each value. */
export function graphqlEnum<const V extends string>(
  values: readonly V[],
  name: string,
  description: string,
  valueDescriptions?: { readonly [K in V]: string },
): { [K in V]: K } {
  const enumObject = Object.fromEntries(values.map((value) => [value, value])) as { [K in V]: K };
  const valuesConfig = valueDescriptions && (Object.fromEntries(values.map((value) => [value, { description: valueDescriptions[value] }])) as Record<V, { description: string }>);
  registerEnumType(enumObject, { name, description, valuesConfig });
  return enumObject;
}
