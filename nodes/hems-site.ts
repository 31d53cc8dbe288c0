import type { SiteConfig } from '../src/settings/site-config';
import { checkSite, openSite, reportSiteProblem } from './lib/site';
import { checkConfig, registerNodeType, type Node, type NodeAPI } from './lib/node-red';
import { serveSidebar } from './lib/sidebar';

/**
 * The site as a config node: the optimiser, its loads and its planner pick it with Node-RED's
 * config-node picker and share its session (lib/site.ts). Node-RED creates config nodes before
 * flow nodes, so they find it in their constructors.
 */
export = function register(RED: NodeAPI): void {
  function HemsSiteNode(this: Node, config: SiteConfig) {
    RED.nodes.createNode(this, config);
    const label = config.name || config.deviceId || this.id;
    let problem = '';
    const checked = checkConfig(RED, this, 'hems-site', config, () => {
      try {
        return checkSite(RED, config);
      } catch (err) {
        problem = (err as Error).message;
        throw err;
      }
    }, label);
    if (!checked) {
      // Its optimiser, loads and planner show why, instead of waiting for it.
      const forget = reportSiteProblem(this.id, problem);
      this.on('close', (_removed: boolean, done: () => void) => {
        forget();
        done();
      });
      return;
    }
    const opened = openSite(RED, this, this.id, config, checked);
    this.on('close', (removed: boolean, done: () => void) => {
      void opened.close(removed).then(() => done());
    });
  }
  registerNodeType(RED, 'hems-site', HemsSiteNode);
  // The editor's HEMS sidebar (its tab is added by hems-site.html): every site's flow and planner's plan.
  serveSidebar(RED);
};
