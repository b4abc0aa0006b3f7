import type { TenantDb } from '@smile/sdk';

export interface Greeting {
  id: number;
  visitorName: string;
  language: 'fr' | 'en';
  createdAt: Date;
}

/** Stores greetings, per institution (the `TenantDb` handle filters on it). */
export class Greeter {
  constructor(private greeting: string) {}

  phrase(name: string): string {
    return `${this.greeting}, ${name}!`;
  }

  async record(db: TenantDb, visitorName: string, language: 'fr' | 'en'): Promise<Greeting> {
    const [row] = await db.insert('hello_greetings', { visitor_name: visitorName, language });
    return toGreeting(row);
  }

  async latest(db: TenantDb, limit = 10): Promise<Greeting[]> {
    return (await db.table('hello_greetings').orderBy('id', 'desc').limit(limit)).map(toGreeting);
  }
}

function toGreeting(r: any): Greeting {
  return { id: r.id, visitorName: r.visitor_name, language: r.language, createdAt: new Date(r.created_at) };
}
