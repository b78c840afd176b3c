import {
  findFilingCondition, findSubCategory, type Action, type CategoryTree, type Filing, type Refusal, type State,
} from '../../../shared/cases/index.js';
import { AppError } from '../../platform/errors.js';

/** The workflow's refusals as API errors, and the filing (立案) resolution both reporting and acting need. */
export function refusalError(refusal: Refusal, action: Action, state: State | 'new'): AppError {
  if (refusal === 'forbidden') return new AppError('forbidden', `You may not ${action} this case.`, { action, refusal });
  if (refusal === 'not_allowed_in_state') {
    return new AppError('action_not_allowed', `${action} is not allowed while the case is ${state}.`, { action, state, refusal });
  }
  if (refusal.startsWith('missing_field:')) {
    const field = refusal.slice('missing_field:'.length);
    return new AppError('validation_failed', `${action} needs ${field}.`, { action, field, refusal });
  }
  const guard = refusal.slice('guard_failed:'.length);
  return new AppError('action_not_allowed', `${action} is not allowed here: ${guard.replaceAll('_', ' ')}.`, { action, state, guard, refusal });
}

/**
 * The filing a condition code names in the current tree, frozen with the tree's version and the
 * limit (a case keeps them when the tree changes). A category code, when also given, must agree.
 */
export function resolveFiling(tree: CategoryTree, conditionCode: string | undefined, categoryCode: string | undefined): Filing | undefined {
  if (categoryCode !== undefined && !findSubCategory(tree, categoryCode)) {
    throw new AppError('validation_failed', `Unknown category ${categoryCode}.`, { field: 'category_code' });
  }
  if (conditionCode === undefined) return undefined;
  const cond = findFilingCondition(tree, conditionCode);
  if (!cond) throw new AppError('validation_failed', `Unknown filing condition ${conditionCode}.`, { field: 'condition_code' });
  const category = conditionCode.slice(0, 5);
  if (categoryCode !== undefined && categoryCode !== category) {
    throw new AppError('validation_failed', `Condition ${conditionCode} is not a condition of category ${categoryCode}.`, { field: 'condition_code' });
  }
  return { category_code: category, category_version: tree.version, condition_code: cond.code, limit: cond.limit };
}

/** Input without the keys left undefined, so event payloads hold only what was given. */
export function compact<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
