/** Generates generated/c/vfio-user.h from spec/. */
export function generateC(): Map<string, string> {
  return new Map();
}
