/** Linux keeps interface names in a 16-byte buffer with its terminating zero (IFNAMSIZ). */
export const MAX_INTERFACE_NAME_LENGTH = 15;

/**
 * Characters that are valid for the kernel and stay one plain word in `ip -batch` input (which
 * treats quotes and `#` specially); containerlab's own names (eth1, e1-1, l1-eth1) all fit.
 */
const INTERFACE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/** Why `name` cannot be a Linux interface name, or null when it can. */
export function interfaceNameProblem(name: string): string | null {
  if (name.length > MAX_INTERFACE_NAME_LENGTH) {
    return `"${name}" is longer than ${MAX_INTERFACE_NAME_LENGTH} characters, the Linux limit for interface names`;
  }
  if (!INTERFACE_NAME.test(name)) {
    return `"${name}" is not a valid interface name: use letters, digits, ".", "_" and "-", starting with a letter or digit`;
  }
  return null;
}
