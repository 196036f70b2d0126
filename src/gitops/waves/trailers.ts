import { DNS1123_LABEL } from '../../repo/names';
import { parseCommitMessage, TRAILER } from '../commit-message';

/**
 * Trailers of the commits of a rollout. The rollout state is read back from them and git alone:
 * - `Nephoran-Rollout: <change id>`: the program's change (the id of its whole tree) the commit
 *   rolls out, on every commit of the rollout;
 * - `Nephoran-Wave: <name> (<k>/<n>)`: the commit takes the change to waves 1..k of n;
 * - `Nephoran-Wave-Rollback: <name> (<k>/<n>)`: the commit restores wave k's previous files;
 * - `Nephoran-Verified: <cluster> synced <commit> at <time>`: what the gate saw before promoting;
 * - `Nephoran-Verification: skipped`: promoted with --skip-verification.
 */
export const WAVE_TRAILER = {
  rollout: 'Nephoran-Rollout',
  wave: 'Nephoran-Wave',
  rollback: 'Nephoran-Wave-Rollback',
  verified: 'Nephoran-Verified',
  verification: 'Nephoran-Verification',
} as const;

/** A wave as a trailer names it. */
export interface WaveMark {
  readonly name: string;
  /** 1-based. */
  readonly number: number;
  readonly count: number;
}

/** `canary (1/3)`. */
export function formatWaveMark(mark: WaveMark): string {
  return `${mark.name} (${mark.number}/${mark.count})`;
}

/** `<wave> (<k>/<n>)`: a wave name (a DNS-1123 label) and its place in the rollout. */
const WAVE_MARK = new RegExp(`^(${DNS1123_LABEL.source.slice(1, -1)}) \\(([1-9][0-9]*)\\/([1-9][0-9]*)\\)$`);

/** Reads `canary (1/3)`, or undefined. */
export function parseWaveMark(text: string | undefined): WaveMark | undefined {
  const match = WAVE_MARK.exec(text?.trim() ?? '');
  if (!match) return undefined;
  return { name: match[1], number: Number(match[3]), count: Number(match[4]) };
}

/** The rollout trailers of one commit message. */
export interface RolloutTrailers {
  readonly changeId?: string;
  readonly wave?: WaveMark;
  readonly rollback?: WaveMark;
  readonly verified: readonly string[];
  readonly skipped: boolean;
  /** A merge of a review: the commit reviewed, whose message holds the trailers. */
  readonly reviewedCommit?: string;
}

export function rolloutTrailersOf(message: string): RolloutTrailers {
  const parsed = parseCommitMessage(message);
  const first = (key: string) => parsed.trailers.get(key)?.[0];
  return {
    changeId: first(WAVE_TRAILER.rollout),
    wave: parseWaveMark(first(WAVE_TRAILER.wave)),
    rollback: parseWaveMark(first(WAVE_TRAILER.rollback)),
    verified: [...(parsed.trailers.get(WAVE_TRAILER.verified) ?? [])],
    skipped: first(WAVE_TRAILER.verification) === 'skipped',
    reviewedCommit: first(TRAILER.reviewedCommit),
  };
}
