/**
 * The migration device-state machine (DEVICE_FEATURE MIG_DEVICE_STATE),
 * numbered as vfio_user_device_mig_state.
 *
 * A SET may name any supported state: the device walks the shortest path of
 * direct arcs, passing only through STOP and RUNNING on the way. The one
 * combination the kernel forbids, STOP_COPY to PRE_COPY, is listed apart.
 * ERROR is left only by DEVICE_RESET. What DEVICE_RESET does to the state
 * is each dialect's `resetMigrationState` (libvfio-user since 4f4fce4 leaves
 * it; the QEMU document returns the device to RUNNING).
 */
export const migration = {
  /** The state a device is in when a client connects (and after DEVICE_RESET where the dialect returns it to RUNNING). */
  initial: 2,
  /** States a vfio-user SET may name (libvfio-user refuses ERROR and the P2P states). */
  supported: [1, 2, 3, 4, 6] as readonly number[],
  /** Direct arcs [from, to]. */
  arcs: [
    [1, 2],
    [1, 3],
    [1, 4],
    [2, 1],
    [2, 6],
    [3, 1],
    [4, 1],
    [6, 2],
    [6, 3],
  ] as readonly (readonly [number, number])[],
  /** States a combined transition may pass through. */
  through: [1, 2] as readonly number[],
  /** Combined transitions that are refused although a path exists. */
  forbidden: [[3, 6]] as readonly (readonly [number, number])[],
  /** States in which the device is saving: MIG_DATA_READ reads the stream (PRE_COPY, STOP_COPY). */
  saving: [3, 6] as readonly number[],
  /** States in which the device is loading: MIG_DATA_WRITE writes the stream (RESUMING). */
  loading: [4] as readonly number[],
  ref: 'QEMU vfio-user.rst "VFIO_USER_DEVICE_FEATURE"; <linux/vfio.h> vfio_device_mig_state; libvfio-user lib/migration.c',
} as const;
