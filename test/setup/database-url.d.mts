export function withDatabase(url: string, database: string): string;
export function freePort(): Promise<number>;
