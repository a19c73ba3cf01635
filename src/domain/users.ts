/** People with accounts: registering, signing in, profiles, the list to invite from. */
import { and, asc, eq, ne } from 'drizzle-orm';
import { z } from 'zod';
import { hashPassword, passwordProblem, verifyAgainstDummy, verifyPassword } from '../auth/password.ts';
import type { Database } from '../db/client.ts';
import { users, type UserRow } from '../db/schema.ts';
import { zoneField } from './forms.ts';
import { characterCount, cleanName, hasVisibleLetter } from './text.ts';
import { isUuid } from './ids.ts';

export interface User {
  id: string;
  username: string;
  displayName: string;
  timeZone: string;
}

export function toUser(row: UserRow): User {
  // Names saved before invisible characters were refused read as they look (or as the username).
  const displayName = cleanName(row.displayName);
  return {
    id: row.id,
    username: row.username,
    displayName: hasVisibleLetter(displayName) ? displayName : row.username,
    timeZone: row.timeZone,
  };
}

const USERNAME = /^[a-z0-9][a-z0-9._-]{0,30}[a-z0-9]$/;

/**
 * Whether a string could be a stored username (lower-case, checked before it reaches SQL): anything
 * else names nobody, and text PostgreSQL refuses (a NUL byte) never gets that far.
 */
export function looksLikeUsername(value: string): boolean {
  return USERNAME.test(value);
}

export const usernameField = () =>
  z
    .string({ error: 'Enter a username.' })
    .optional()
    .default('')
    .transform((v) => v.trim().toLowerCase())
    .refine((v) => v.length > 0, 'Enter a username.')
    .refine(
      (v) => v.length === 0 || USERNAME.test(v),
      'Use 2 to 32 letters, digits, dots, dashes or underscores, starting and ending with a letter or digit.',
    );

/** A new password: any characters, 8 to 256 of them (not trimmed: spaces count). */
export const newPasswordField = () =>
  z
    .string({ error: 'Enter a password.' })
    .optional()
    .default('')
    .superRefine((v, ctx) => {
      const problem = passwordProblem(v);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    });

/** A display name: invisible and format characters removed; at least one visible letter or digit. */
export const displayNameField = () =>
  z
    .string({ error: 'Display name must be text.' })
    .optional()
    .default('')
    .transform(cleanName)
    .refine((v) => characterCount(v) <= 80, 'Display name can be at most 80 characters.')
    .refine((v) => v.length > 0, 'Enter the name people know you by.')
    .refine(hasVisibleLetter, 'A display name needs at least one letter or digit people can see.');

export const RegisterForm = z.object({
  displayName: displayNameField(),
  username: usernameField(),
  password: newPasswordField(),
  timeZone: zoneField(),
});
export type RegisterInput = z.output<typeof RegisterForm>;

export const ProfileForm = z.object({ displayName: displayNameField(), timeZone: zoneField() });

export const PasswordForm = z.object({
  currentPassword: z.string().optional().default(''),
  newPassword: newPasswordField(),
});

export const LoginForm = z.object({
  username: z
    .string()
    .optional()
    .default('')
    .transform((v) => v.trim().toLowerCase().slice(0, 64)),
  password: z
    .string()
    .optional()
    .default('')
    .transform((v) => v.slice(0, 1024)),
});

export type RegisterResult = { ok: true; user: User } | { ok: false; reason: 'username-taken' };

/** Creates an account; a taken username (in any case) is refused by the unique index. */
export async function registerUser(db: Database, input: RegisterInput): Promise<RegisterResult> {
  const passwordHash = await hashPassword(input.password);
  const [row] = await db
    .insert(users)
    .values({ username: input.username, displayName: input.displayName, passwordHash, timeZone: input.timeZone })
    .onConflictDoNothing({ target: users.username })
    .returning();
  return row ? { ok: true, user: toUser(row) } : { ok: false, reason: 'username-taken' };
}

/** The user whose username and password these are, or null, taking the same time either way. */
export async function authenticate(db: Database, username: string, password: string): Promise<User | null> {
  const name = username.trim().toLowerCase();
  const [row] = looksLikeUsername(name) ? await db.select().from(users).where(eq(users.username, name)) : [];
  if (!row) return verifyAgainstDummy(password).then(() => null);
  return (await verifyPassword(row.passwordHash, password)) ? toUser(row) : null;
}

export async function findUserById(db: Database, id: string): Promise<User | null> {
  if (!isUuid(id)) return null;
  const [row] = await db.select().from(users).where(eq(users.id, id));
  return row ? toUser(row) : null;
}

export async function findUserByUsername(db: Database, username: string): Promise<User | null> {
  const name = username.trim().toLowerCase();
  if (!looksLikeUsername(name)) return null;
  const [row] = await db.select().from(users).where(eq(users.username, name));
  return row ? toUser(row) : null;
}

/** Everyone one could invite (all but `exceptId`), by display name. */
export async function listPeople(db: Database, exceptId?: string): Promise<User[]> {
  const rows = await db
    .select()
    .from(users)
    .where(exceptId ? ne(users.id, exceptId) : undefined)
    .orderBy(asc(users.displayName), asc(users.username));
  return rows.map(toUser);
}

export async function updateProfile(
  db: Database,
  userId: string,
  input: { displayName: string; timeZone: string },
): Promise<User> {
  const [row] = await db.update(users).set(input).where(eq(users.id, userId)).returning();
  return toUser(row!);
}

/** Changes a password after checking the current one. Ending sessions is the caller's next step. */
export async function changePassword(
  db: Database,
  userId: string,
  current: string,
  next: string,
): Promise<'changed' | 'wrong-current'> {
  const [row] = await db.select().from(users).where(eq(users.id, userId));
  if (!row || !(await verifyPassword(row.passwordHash, current))) return 'wrong-current';
  const passwordHash = await hashPassword(next);
  // Only if nobody changed it meanwhile: the current password must still be the one checked.
  const [changed] = await db
    .update(users)
    .set({ passwordHash })
    .where(and(eq(users.id, userId), eq(users.passwordHash, row.passwordHash)))
    .returning({ id: users.id });
  return changed ? 'changed' : 'wrong-current';
}
