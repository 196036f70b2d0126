import { PolicyProfile, RuleSeverity, severityForProfile } from '../severity';
import { containersOf } from './pod-spec';
import { IPolicyRule, RuleViolation } from './rule';

const DIGEST = /@sha(256:[a-f0-9]{64}|384:[a-f0-9]{96}|512:[a-f0-9]{128})$/;

/**
 * Every container image is pinned by digest (`registry/path@sha256:<64 hex>`), so what runs is
 * exactly what was reviewed: a tag can be moved to other content after review.
 *
 * Fails in STRICT (production), warns in STANDARD (staging), is off in RELAXED (development).
 *
 * @example
 * RuleSet.defaults().setSeverity('image-digest', RuleSeverity.ERROR, { environment: 'staging' });
 */
export class ImageDigestRule implements IPolicyRule {
  public readonly id = 'image-digest';
  public readonly description = 'container images are pinned by digest';

  public defaultSeverity(profile: PolicyProfile): RuleSeverity {
    return severityForProfile({ strict: RuleSeverity.ERROR, standard: RuleSeverity.WARNING, relaxed: RuleSeverity.OFF }, profile);
  }

  public check(object: Record<string, any>): RuleViolation[] {
    const violations: RuleViolation[] = [];
    for (const { container, path } of containersOf(object)) {
      const image = container.image;
      if (typeof image !== 'string' || image === '') {
        violations.push({ field: `${path}.image`, message: `container "${container.name}" has no image` });
      } else if (!DIGEST.test(image)) {
        violations.push({
          field: `${path}.image`,
          message: `image "${image}" of container "${container.name}" is not pinned by digest; use "${image.replace(/:[^:/@]+$/, '')}@sha256:<digest>" (the digest \`crane digest\` or \`docker buildx imagetools inspect\` prints)`,
        });
      }
    }
    return violations;
  }
}
