/**
 * The site's grid limits as a plan keeps them: the strictest feed-in limit, and the grid connection
 * limit, which is the import cap or, when stricter or the only one set, the main fuse on all three
 * phases (3 × fuse × phase voltage). A single-phase site's fuse allows less than that, and the
 * allocator still sheds per phase; as a total bound the plan never needs more than it gives.
 */
import { fusePowerW, maxExportW, type SiteSettings } from '../allocator';
import type { PlannerSite } from '../planner';

export function plannerSiteOf(site: SiteSettings): PlannerSite {
  const exportLimitW = maxExportW(site);
  const fuseW = fusePowerW(site);
  const limits = [site.importCapW, fuseW].filter((w): w is number => w !== undefined);
  return {
    ...(exportLimitW !== null ? { exportLimitW } : {}),
    ...(limits.length > 0 ? { importCapW: Math.min(...limits) } : {}),
  };
}
