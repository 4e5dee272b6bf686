import { Injectable } from '@nestjs/common';
import argon2 from 'argon2';

/**
 * argon2id with the OWASP Password Storage Cheat Sheet baseline (19 MiB, t=2, p=1): memory-hard,
 * and ~20 ms on these machines, so sign-in stays fast and a leaked hash stays expensive to crack.
 */
const OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

@Injectable()
export class PasswordHasher {
  /** A hash verified when the account does not exist, so timing does not reveal which emails are registered. */
  private decoy?: Promise<string>;

  hash(password: string): Promise<string> {
    return argon2.hash(password, OPTIONS);
  }

  async verify(hash: string | undefined, password: string): Promise<boolean> {
    if (!hash) {
      this.decoy ??= argon2.hash('decoy-password-never-valid', OPTIONS);
      await argon2.verify(await this.decoy, password);
      return false;
    }
    try {
      return await argon2.verify(hash, password);
    } catch {
      return false;
    }
  }
}
