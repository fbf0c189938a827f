// The known divergences' default file name, apart from their loader so that the CLI's help can name it without
// loading zod and the YAML reader.
export const KNOWN_DIVERGENCES_FILE = 'known-divergences.yaml';
