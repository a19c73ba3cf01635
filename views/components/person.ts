/**
 * How a person is named to others: their display name and, always beside it, their username, which
 * is unique ("Marissa Lopez (@marissa)"): two people may share a name, and nobody can take another's
 * username.
 */
export function personName(person: { displayName: string; username: string }): string {
  return `${person.displayName} (@${person.username})`;
}
