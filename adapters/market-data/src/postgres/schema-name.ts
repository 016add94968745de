/** Only schema names we chose ourselves ever reach SQL text. */
export const checkedSchema = (schema: string): string => {
  if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`Not a schema name: ${schema}`);
  return schema;
};
