/**
 * Mail at every step of the circuit, through the mailing plugin's templates (`la-to-sign`,
 * `la-signing-link`, `la-refused`, `la-signed`, `la-change-proposed`), queued in the caller's
 * transaction and tagged `mobility.file:<id>` so that the file's page lists them.
 * @packageDocumentation
 */
import type { Institution } from '@smile/sdk';
import type { Knex } from 'knex';
import type { LaDocument, LaParty } from './model.js';
import { createLink, paths, publicOrigin } from './links.js';
import type { LaDeps } from './store.js';
import type { LaSettings } from './store-types.js';
import { languageForCountry } from '@smile/plugin-mobility';

type Lang = 'fr' | 'en';

/** The file's data mail needs, read in the transaction. */
export interface MailFile {
  id: number;
  firstName: string;
  lastName: string;
  email: string | null;
  language: Lang | null;
  homeName: string | null;
  homeCountry: string | null;
}

export async function mailFile(trx: Knex.Transaction, institutionId: number, fileId: number): Promise<MailFile> {
  const r = await trx('mobility_files').where({ institution_id: institutionId, id: fileId })
    .first('id', 'first_name', 'last_name', 'email', 'language', 'home_name', 'home_country');
  return {
    id: r.id, firstName: r.first_name, lastName: r.last_name, email: r.email ?? null,
    language: r.language === 'fr' || r.language === 'en' ? r.language : null, homeName: r.home_name ?? null, homeCountry: r.home_country ?? null,
  };
}

/** The student's language, else a guess from the home country (the partner's staff read the same). */
const homeLanguage = (f: MailFile): Lang => f.language ?? languageForCountry(f.homeCountry);
const partnerLanguage = (f: MailFile): Lang => languageForCountry(f.homeCountry);

/** Everything a notification needs. */
export interface Notice {
  trx: Knex.Transaction;
  institution: Institution;
  settings: LaSettings;
  file: MailFile;
  agreementId: number;
}

export class CircuitMail {
  constructor(private readonly deps: LaDeps) {}

  private values(n: Notice, lang: Lang, extra: Record<string, string | Date> = {}) {
    return {
      student: { firstName: n.file.firstName, lastName: n.file.lastName },
      home: { name: n.file.homeName ?? '' },
      step: { label: lang === 'fr' ? 'Contrat d’études' : 'Learning Agreement' },
      ...extra,
    };
  }

  private async send(n: Notice, key: string, to: string | null | undefined, lang: Lang, extra: Record<string, string | Date>): Promise<void> {
    if (!to) {
      this.deps.log.warn({ agreement: n.agreementId, key }, 'learning agreement mail not sent: no address');
      return;
    }
    await this.deps.mailing.send({ institutionId: n.institution.id }, { key, language: lang, to, values: this.values(n, lang, extra), tag: `mobility.file:${n.file.id}`, trx: n.trx });
  }

  private origin(n: Notice): string {
    return publicOrigin(n.institution, this.deps.config);
  }

  /**
   * Tell `party` that version `version` waits for their signature: the student and the office by
   * `la-to-sign`, the sending coordinator by `la-signing-link` with a new single-use link.
   */
  async turn(n: Notice, party: LaParty, version: { id: number; document: LaDocument }): Promise<void> {
    if (party === 'student') {
      await this.send(n, 'la-to-sign', n.file.email, homeLanguage(n.file), { link: this.origin(n) + paths.student(n.file.id) });
    } else if (party === 'receiving') {
      await this.send(n, 'la-to-sign', n.settings.officeContact.email, n.institution.defaultLanguage, { link: this.origin(n) + paths.staff(n.agreementId) });
    } else {
      const email = version.document.sending.responsiblePerson.email;
      if (!email) return this.send(n, 'la-signing-link', null, 'en', {});
      const { token, link } = await createLink(n.trx, {
        institutionId: n.institution.id, agreementId: n.agreementId, versionId: version.id, party, email, validityDays: n.settings.linkValidityDays,
      });
      await this.send(n, 'la-signing-link', email, partnerLanguage(n.file), { link: this.origin(n) + paths.link(token), deadline: link.expiresAt });
    }
  }

  /** The version was refused: back to the student, with the comment. */
  async refused(n: Notice, comment: string): Promise<void> {
    await this.send(n, 'la-refused', n.file.email, homeLanguage(n.file), { link: this.origin(n) + paths.student(n.file.id), comment });
  }

  /** Every party signed: the student and the office get word. */
  async signed(n: Notice): Promise<void> {
    await this.send(n, 'la-signed', n.file.email, homeLanguage(n.file), { link: this.origin(n) + paths.student(n.file.id) });
    await this.send(n, 'la-signed', n.settings.officeContact.email, n.institution.defaultLanguage, { link: this.origin(n) + paths.staff(n.agreementId) });
  }

  /** A change was proposed: the office gets word (the circuit mails the signers). */
  async changeProposed(n: Notice): Promise<void> {
    await this.send(n, 'la-change-proposed', n.settings.officeContact.email, n.institution.defaultLanguage, { link: this.origin(n) + paths.staff(n.agreementId) });
  }
}
