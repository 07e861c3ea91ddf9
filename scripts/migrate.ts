/** `npm run db:migrate`: applies pending migrations to DATABASE_URL (start-up does this too). */
import { disconnectDb } from "@/lib/db";
import { migrate } from "@/lib/migrations";

const applied = await migrate();
console.log(applied.length ? `Applied: ${applied.join(", ")}` : "The database is up to date.");
await disconnectDb();
