import { type Data, getPath, isData } from "./netlab-data.ts";
import { NETLAB_VERSION } from "./package-defaults.ts";

/**
 * A node as Ansible sees it (`NL:netsim/outputs/common.py:adjust_inventory_host`): device group
 * vars, then the provider's group vars, then the node's own `ansible_*`/`netlab_*` keys;
 * `ansible_host` is the container name for docker connections, else the management IPv4.
 */
export function nodeGroupVars(topology: Data, node: Data): Data {
  const device = getPath(topology.defaults, ["devices", String(node.device)]);
  const vars: Data = {
    ...(isData(getPath(device, ["group_vars"])) ? (getPath(device, ["group_vars"]) as Data) : {}),
    ...(isData(getPath(device, ["clab", "group_vars"])) ? (getPath(device, ["clab", "group_vars"]) as Data) : {}),
    ...Object.fromEntries(Object.entries(node).filter(([key]) => key.startsWith("ansible_") || key.startsWith("netlab_"))),
  };
  vars.ansible_host = vars.ansible_connection === "docker" ? node.hostname : getPath(node, ["mgmt", "ipv4"]);
  vars.netlab_device_type ??= node.device;
  return vars;
}

/** `netlab inspect --node N`: the node data merged with its group vars, without `name` and `device`. */
export function inspectNode(topology: Data, node: Data): Data {
  const { name: _name, device: _device, ...data } = node;
  return { ...data, ...nodeGroupVars(topology, node), _netlab_version: NETLAB_VERSION };
}
