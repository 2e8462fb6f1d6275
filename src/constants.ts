/**
 * `vfio-user-protocol/constants`: the protocol's named numbers, generated
 * from spec/ — every command (`VFIO_USER_DMA_MAP`), flag bit, enumeration
 * value and struct size, with literal types, and the command table.
 *
 * @example
 * import { VFIO_USER_DEVICE_GET_INFO } from 'vfio-user-protocol/constants';
 * import { command, encode } from 'vfio-user-protocol';
 * encode(command(VFIO_USER_DEVICE_GET_INFO, 1, { argsz: 16, flags: 0, num_regions: 0, num_irqs: 0 }));
 */
export * from '../generated/ts/constants.js';
