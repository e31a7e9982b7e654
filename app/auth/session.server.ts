// Placeholder: the auth capability replaces this with database sessions.
export type SessionUser = { id: string; fullName: string; phone: string; role: "farmer" | "buyer" | "officer" | "admin" };

export async function getUser(_request: Request): Promise<SessionUser | null> {
  return null;
}
