/**
 * The slice of netlab's package defaults the fake uses (`NL:netsim/defaults/*.yml`,
 * `NL:netsim/devices/*.yml`, `NL:netsim/providers/clab.yml` as of netlab 26.03). Credentials and
 * connections follow the reference table; the eos and srlinux images are placeholders (neither is
 * in the fake Docker daemon by default, like a vendor image nobody imported yet).
 */
export const NETLAB_VERSION = "26.03";

export const PACKAGE_DEFAULTS = {
  provider: "libvirt",
  addressing: { mgmt: { ipv4: "192.168.121.0/24", start: 100, mac: "CA-FE-00-00-00-00" } },
  multilab: {
    change: {
      name: "ml-{id}",
      "defaults.name": "ml-{id}",
      addressing: { mgmt: { ipv4: "192.168.{id}.0/24", _network: "nl_mgmt_{id}", _bridge: "nl_mgmt_{id}" } },
    },
  },
  providers: {
    clab: {
      config: "clab.yml",
      lab_prefix: "clab",
      version: "0.72.0",
      start: "containerlab deploy --reconfigure -t clab.yml",
      stop: "containerlab destroy --cleanup -t clab.yml",
      cleanup: ["clab.yml", "clab_files"],
    },
  },
  automation: { ansible: { cleanup: ["ansible.cfg", "hosts.yml", "group_vars", "host_vars", "config"] } },
  devices: {
    frr: {
      role: "router",
      interface_name: "eth%d",
      mgmt_if: "eth0",
      loopback_interface_name: "lo",
      group_vars: { ansible_network_os: "frr", ansible_python_interpreter: "auto_silent", netlab_show_command: ["vtysh", "-c", "show $@"] },
      clab: { image: "quay.io/frrouting/frr:10.5.3", kind: "linux", group_vars: { ansible_connection: "docker", ansible_user: "root" } },
    },
    linux: {
      role: "host",
      interface_name: "eth%d",
      mgmt_if: "eth0",
      group_vars: { ansible_network_os: "linux", ansible_python_interpreter: "auto_silent" },
      clab: {
        image: "python:3.13-alpine",
        kind: "linux",
        group_vars: { ansible_connection: "docker", ansible_user: "root", docker_shell: "sh -il" },
      },
    },
    eos: {
      role: "router",
      interface_name: "Ethernet%d",
      mgmt_if: "Management0",
      loopback_interface_name: "Loopback0",
      group_vars: { ansible_network_os: "eos", ansible_connection: "network_cli", ansible_become: true, ansible_become_method: "enable" },
      clab: {
        image: "ceos:4.34.1F",
        kind: "ceos",
        interface_name: "eth%d",
        group_vars: { ansible_user: "admin", ansible_ssh_pass: "admin" },
      },
    },
    srlinux: {
      role: "router",
      interface_name: "ethernet-1/%d",
      mgmt_if: "mgmt0",
      loopback_interface_name: "system0",
      group_vars: { ansible_network_os: "srlinux", ansible_connection: "paramiko", ansible_user: "admin", ansible_ssh_pass: "NokiaSrl1!" },
      clab: { image: "ghcr.io/nokia/srlinux:25.3.2", kind: "nokia_srlinux", interface_name: "e1-%d", group_vars: {} },
    },
  },
};
