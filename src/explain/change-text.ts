// A world change in the words of the console: the title of a scenario step.
import type { WorldChange } from "../model/world-change.js";
import { naclRuleText, sgRuleText } from "./rule-text.js";

export function changeText(c: WorldChange): string {
  switch (c.kind) {
    case "add-nacl-rule":
      return `add ${c.direction} rule ${naclRuleText(c.rule, c.direction)} to network ACL ${c.acl}`;
    case "replace-nacl-rule":
      return `replace ${c.direction} rule of network ACL ${c.acl} with ${naclRuleText(c.rule, c.direction)}`;
    case "remove-nacl-rule":
      return `remove ${c.direction} rule ${c.number} from network ACL ${c.acl}`;
    case "add-sg-rule":
      return `add ${c.direction} rule "${sgRuleText(c.rule, c.direction)}" to security group ${c.group}`;
    case "remove-sg-rule":
      return `remove ${c.direction} rule "${sgRuleText(c.rule, c.direction)}" from security group ${c.group}`;
    case "replace-sg-rule":
      return `replace ${c.direction} rule "${sgRuleText(c.old, c.direction)}" of security group ${c.group} with "${sgRuleText(c.rule, c.direction)}"`;
    case "attach-security-group":
      return `attach security group ${c.group} to ${c.instance}`;
    case "detach-security-group":
      return `detach security group ${c.group} from ${c.instance}`;
    case "associate-network-acl":
      return `associate network ACL ${c.acl} with subnet ${c.subnet}`;
    case "set-source-dest-check":
      return `turn source/destination check ${c.enabled ? "on" : "off"} on ${c.instance}`;
  }
}
