/**
 * The default profile: kube-scheduler's default plugins that kubesim implements, in its order
 * (filters stop at the first rejection, so order decides which reason a node reports) and with
 * its default score weights.
 */
import type { Profile } from '../framework.js';
import { NodeResourcesBalancedAllocation } from './balanced-allocation.js';
import { DefaultPreemption } from './default-preemption.js';
import { InterPodAffinity } from './inter-pod-affinity.js';
import { NodeAffinity } from './node-affinity.js';
import { NodeReady } from './node-ready.js';
import { NodeResourcesFit } from './node-resources-fit.js';
import { NodeUnschedulable } from './node-unschedulable.js';
import { SelectorSpread } from './selector-spread.js';
import { TaintToleration } from './taint-toleration.js';

/** Filters, scores and post-filters of the default profile. */
export const DEFAULT_PROFILE: Profile = {
  filters: [NodeUnschedulable, TaintToleration, NodeReady, NodeAffinity, NodeResourcesFit, InterPodAffinity],
  scores: [TaintToleration, NodeAffinity, NodeResourcesFit, NodeResourcesBalancedAllocation, SelectorSpread],
  postFilters: [DefaultPreemption],
};

export {
  NodeResourcesBalancedAllocation,
  DefaultPreemption,
  InterPodAffinity,
  NodeAffinity,
  NodeReady,
  NodeResourcesFit,
  NodeUnschedulable,
  SelectorSpread,
  TaintToleration,
};
