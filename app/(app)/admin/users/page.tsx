import type { Metadata } from "next";
import { CreateUserForm } from "@/components/admin/create-user-form";
import { PageError } from "@/components/page-error";
import { Badge } from "@/components/ui/badge";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TD, TH, THead, TR } from "@/components/ui/table";
import { Time } from "@/components/ui/time";
import { settle } from "@/lib/actions";
import { requireActor } from "@/lib/auth";
import { listUsers } from "@/lib/users/service";
import { createUserAction } from "../actions";

export const metadata: Metadata = { title: "Users" };

export default async function UsersPage() {
  const actor = await requireActor();
  const users = await settle(listUsers(actor));
  if (!users.ok) return <PageError error={users.error} />;
  return (
    <>
      <PageHeader
        title="Users"
        description="Everyone who can sign in. Members create projects and work in the stages they are named on; admins also manage users and step policies."
      />
      <div className="grid gap-4 lg:grid-cols-3">
        <Card className="lg:col-span-2">
          <CardHeader title={`${users.data.length} user${users.data.length === 1 ? "" : "s"}`} />
          <Table aria-label="Users">
            <THead>
              <tr>
                <TH>Name</TH>
                <TH>Email</TH>
                <TH>Role</TH>
                <TH>Created</TH>
              </tr>
            </THead>
            <tbody>
              {users.data.map((user) => (
                <TR key={user.id} data-testid="user-row">
                  <TD className="font-medium">{user.name}</TD>
                  <TD className="text-zinc-600">{user.email}</TD>
                  <TD>
                    <Badge tone={user.role === "admin" ? "accent" : "grey"}>{user.role === "admin" ? "Admin" : "Member"}</Badge>
                  </TD>
                  <TD className="text-xs text-zinc-500">
                    <Time iso={user.createdAt} dateOnly />
                  </TD>
                </TR>
              ))}
            </tbody>
          </Table>
        </Card>
        <Card>
          <CardHeader title="Create user" description="They sign in with this email and password." />
          <CardBody>
            <CreateUserForm createUser={createUserAction} />
          </CardBody>
        </Card>
      </div>
    </>
  );
}
