import type { SiteConfig } from '../src/settings/site-config';
import { checkSite, openSite, type SiteLink } from './lib/site';
import { checkConfig, registerNodeType, type Node, type NodeAPI } from './lib/node-red';

/**
 * The site as a config node: the optimiser, its loads and its planner pick it with Node-RED's
 * config-node picker and share its session (lib/site.ts). Node-RED creates config nodes before
 * flow nodes, so they find it in their constructors.
 */
export = function register(RED: NodeAPI): void {
  function HemsSiteNode(this: Node & { site?: SiteLink }, config: SiteConfig) {
    RED.nodes.createNode(this, config);
    const label = config.name || config.deviceId || this.id;
    const checked = checkConfig(this, 'hems-site', config, () => checkSite(RED, config), label);
    if (!checked) return;
    const opened = openSite(RED, this, this.id, config, checked);
    this.site = opened.site;
    this.on('close', (removed: boolean, done: () => void) => {
      this.site = undefined;
      void opened.close(removed).then(() => done());
    });
  }
  registerNodeType(RED, 'hems-site', HemsSiteNode);
};
