import { Command } from 'commander';
import { addRepositorySetOptions, addTargetOptions, commandTargetFromFlags, printHints, TargetFlags } from './publish';
import { approveReview, formatMergeResult, formatReviewStatus, listReviewStates, mergeReview, nephoranCommand, parseIdentity, readReviewPolicyFile, reviewStatus } from '../../gitops';

type ReviewFlags = TargetFlags & { json?: boolean };

function withReviewOptions(command: Command): Command {
  return addRepositorySetOptions(addTargetOptions(command))
    .option('--policy <file>', 'review policy YAML (default: .nephoran/review-policy on the target branch)')
    .option('--json', 'print the result as JSON');
}

async function reviewOptions(flags: ReviewFlags) {
  const target = await commandTargetFromFlags(flags);
  return {
    remote: target.remote,
    forge: target.forge,
    branch: flags.branch,
    cacheDir: flags.cache,
    reviewPolicy: flags.policy ? readReviewPolicyFile(flags.policy) : undefined,
    targetArgs: target.targetArgs,
  };
}

function print(value: unknown, text: string, json?: boolean): void {
  process.stdout.write((json ? JSON.stringify(value, null, 2) : text) + '\n');
}

export function registerReviewCommand(program: Command, setExitCode: (code: number) => void): void {
  const review = program.command('review')
    .description('review changes published with --mode pull-request or proposal: list, status, approve, merge');

  withReviewOptions(review.command('list').description('open review branches (nephoran/* and proposed/*), each with its head and change id; superseded ones (the target already holds them) say so'))
    .action(async (flags: ReviewFlags) => {
      const entries = await listReviewStates(await reviewOptions(flags));
      const text = entries.length === 0 ? 'No open reviews.' : entries.map(e =>
        `${e.reviewBranch}  ${e.head.slice(0, 12)}${e.changeId ? `  change ${e.changeId}` : ''}${e.rollbackTo ? `  rollback to ${e.rollbackTo.slice(0, 12)}` : ''}${e.superseded ? `\n    superseded: ${e.superseded.reason}` : ''}`).join('\n');
      print(entries, text, flags.json);
      setExitCode(0);
    });

  withReviewOptions(review.command('status').argument('<review>', 'review branch or change id')
    .description('the review gate of a change: approvals that count, voided ones, what is missing; exit code 1 when not ready (or superseded)'))
    .action(async (ref: string, flags: ReviewFlags) => {
      const status = await reviewStatus(ref, await reviewOptions(flags));
      print(status, formatReviewStatus(status), flags.json);
      setExitCode(status.gate.met && !status.superseded ? 0 : 1);
    });

  withReviewOptions(review.command('approve').argument('<review>', 'review branch or change id')
    .description('approve the commit now at the head of the review branch'))
    .option('--reviewer <identity>', 'reviewer as "Name <email>" on plain git (default: git config)')
    .action(async (ref: string, flags: ReviewFlags & { reviewer?: string }) => {
      const options = await reviewOptions(flags);
      const result = await approveReview(ref, { ...options, reviewer: flags.reviewer ? parseIdentity(flags.reviewer) : undefined });
      const merge = result.status.gate.met ? `\nMerge with:\n  ${nephoranCommand(['review', 'merge', result.status.reviewBranch], options.targetArgs)}` : '';
      print(result, `${result.recorded ? 'Approved' : 'Already approved'} ${result.status.head.slice(0, 12)}.\n${formatReviewStatus(result.status)}${merge}`, flags.json);
      setExitCode(0);
    });

  withReviewOptions(review.command('merge').argument('<review>', 'review branch or change id')
    .description('merge a change whose review gate is met (for proposed/ branches: Porch approval with revision tag)'))
    .option('--committer <identity>', 'committer as "Name <email>" (default: git config)')
    .action(async (ref: string, flags: ReviewFlags & { committer?: string }) => {
      const committer = flags.committer ? parseIdentity(flags.committer) : undefined;
      const result = await mergeReview(ref, { ...await reviewOptions(flags), committer });
      print(result, formatMergeResult(result), flags.json);
      printHints(result.hints);
      setExitCode(0);
    });
}
