import { GitOpsRepository } from '../src';
import { declareExampleFleet } from './example-fleet';

const repo = new GitOpsRepository();
declareExampleFleet(repo);
repo.synth();
