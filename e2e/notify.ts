/**
 * Sends a notification to a user of the running e2e app's database, as the SLA ladder or a
 * change upstream would: `npx tsx e2e/notify.ts <email> <message>`. The browser tests use it to
 * make something happen elsewhere while a page is open.
 */
import { db, disconnectDb } from "@/lib/db";
import { notify } from "@/lib/notifications/notify";
import { transact } from "@/lib/transaction";

const [email, message] = process.argv.slice(2);
if (!email || !message) throw new Error("usage: tsx e2e/notify.ts <email> <message>");
const user = await db().user.findUniqueOrThrow({ where: { email } });
await transact((tx) => notify(tx, { userIds: [user.id], kind: "stage.reopened", message, link: "/review" }));
await disconnectDb();
