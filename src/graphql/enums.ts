import { registerEnumType } from 'type-graphql';

/** Turns a list of UPPERCASE values into a GraphQL enum registered under `name`. */
export function graphqlEnum<const V extends string>(
  values: readonly V[],
  name: string,
  description: string,
): { [K in V]: K } {
  const enumObject = Object.fromEntries(values.map((value) => [value, value])) as { [K in V]: K };
  registerEnumType(enumObject, { name, description });
  return enumObject;
}
