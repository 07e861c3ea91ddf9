/** The PostgreSQL variant of prisma/schema.prisma: same models, provider and output swapped. */
export function derivePostgresSchema(source) {
  const derived = source
    .replace('provider = "sqlite"', 'provider = "postgresql"')
    // Generation never connects, but the CLI wants a URL of the right scheme.
    .replace('url      = env("DATABASE_URL")', 'url      = "postgresql://localhost/countersign"')
    .replace('output     = "../lib/generated/sqlite"', 'output     = "./postgresql"');
  if (derived === source || !derived.includes('"./postgresql"')) {
    throw new Error("Could not derive the PostgreSQL schema; check the datasource and generator blocks of prisma/schema.prisma.");
  }
  return `// Generated from prisma/schema.prisma by scripts/generate.mjs. Do not edit.\n${derived}`;
}
