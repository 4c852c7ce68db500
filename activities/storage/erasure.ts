/**
 * A member's right to erasure, and unsubscribing from notification mail. Erasure blanks the
 * personal data in MongoDB and keeps the ids: Temporal histories carry ids only, so workflows keep
 * replaying, and reports show "erased member". Every link issued to the member stops working.
 */
import type { Models, MemberDoc } from '../../domain/models';
import type { Language } from '../../domain/types';
import { revokeMemberLinks } from '../links/revocations';

export interface ErasureResult {
  /** False when the member was erased before (erasing is idempotent) or does not exist. */
  erased: boolean;
}

/**
 * Erases a member's personal data: name and address blanked, `emailKey` set to `erased:<id>` (so
 * the unique key stays unique and the address can register again), comments on reactions removed,
 * links revoked. `actorId` is the member (from their link) or a staff key id.
 */
export async function eraseMember(
  models: Models,
  secret: string,
  memberId: string,
  by: { actorId: string; actorKind: 'member' | 'staff' | 'operator'; at?: Date },
): Promise<ErasureResult> {
  const at = by.at ?? new Date();
  // Links first: if anything below fails, the retry finds the member not yet erased and redoes it.
  await revokeMemberLinks(models, secret, memberId, { reason: 'member erased', revokedBy: by.actorId, at });
  await models.Reaction.updateMany({ memberId }, { $unset: { comment: 1 } });
  const result = await models.Member.updateOne(
    { _id: memberId, erasedAt: { $exists: false } },
    { $set: { name: '', email: '', emailKey: `erased:${memberId}`, erasedAt: at } },
  );
  if (result.modifiedCount === 1) {
    try {
      await models.Audit.create({
        _id: `member-erased:${memberId}`,
        at,
        actor: { kind: by.actorKind, id: by.actorId },
        action: 'member.erased',
        subject: memberId,
      });
    } catch (err) {
      if ((err as { code?: number }).code !== 11000) throw err;
    }
  }
  return { erased: result.modifiedCount === 1 };
}

/**
 * Stops notification mail (public review, videoconferences, assembly outcomes) for a member;
 * mail about a group they joined or a role they hold still comes. Idempotent.
 */
export async function unsubscribeMember(models: Models, memberId: string, at = new Date()): Promise<{ changed: boolean }> {
  const result = await models.Member.updateOne(
    { _id: memberId, unsubscribedAt: { $exists: false } },
    { $set: { unsubscribedAt: at } },
  );
  return { changed: result.modifiedCount === 1 };
}

const ERASED: Record<Language, string> = { nl: 'gewist lid', fr: 'membre effacé', en: 'erased member' };

/** The name to show for a member in reports and mails: "erased member" once erased. */
export function memberDisplayName(member: Pick<MemberDoc, 'name' | 'erasedAt'> | null | undefined, language: Language = 'en'): string {
  if (!member || member.erasedAt) return ERASED[language];
  return member.name;
}
