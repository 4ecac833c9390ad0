// Prisma 6.19 with the JS schema engine and the pg driver adapter (DESIGN.md §5).
// Migrations are applied by core/db/migrate.ts, not by `prisma migrate deploy` (see README).
import path from 'node:path';
import { defineConfig } from 'prisma/config';
import { PrismaPg } from '@prisma/adapter-pg';

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: path.join('prisma', 'schema.prisma'),
  async adapter() {
    return new PrismaPg({ connectionString: process.env.DATABASE_URL ?? 'postgresql://localhost/kim' });
  },
});
