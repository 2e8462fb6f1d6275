/**
 * The server's built-in handlers by command number, one file per area.
 * VERSION is the connection's own (it sets up the session and the twin
 * socket); the commands missing here are answered with EINVAL.
 */
import {
  VFIO_USER_DEVICE_FEATURE,
  VFIO_USER_DEVICE_GET_INFO,
  VFIO_USER_DEVICE_GET_IRQ_INFO,
  VFIO_USER_DEVICE_GET_REGION_INFO,
  VFIO_USER_DEVICE_GET_REGION_IO_FDS,
  VFIO_USER_DEVICE_RESET,
  VFIO_USER_DEVICE_SET_IRQS,
  VFIO_USER_DMA_MAP,
  VFIO_USER_DMA_UNMAP,
  VFIO_USER_IOMMUFD_ALLOC_IOAS,
  VFIO_USER_IOMMUFD_ATTACH_PT,
  VFIO_USER_IOMMUFD_BIND,
  VFIO_USER_IOMMUFD_DESTROY_IOAS,
  VFIO_USER_IOMMUFD_DETACH_PT,
  VFIO_USER_IOMMUFD_IOAS_MAP,
  VFIO_USER_IOMMUFD_IOAS_UNMAP,
  VFIO_USER_MIG_DATA_READ,
  VFIO_USER_MIG_DATA_WRITE,
  VFIO_USER_REGION_READ,
  VFIO_USER_REGION_WRITE,
  VFIO_USER_REGION_WRITE_MULTI,
} from '../../../generated/ts/constants.js';
import type { KnownCmd } from '../../build.js';
import { dmaMap, dmaUnmap } from './dma.js';
import { allocIoas, attach, bind, destroyIoas, detach, ioasMap, ioasUnmap } from './iommufd.js';
import { irqInfo, setIrqs } from './irqs.js';
import { feature, migDataRead, migDataWrite } from './migration.js';
import type { Handler } from './outcome.js';
import { deviceInfo, deviceReset, ioFds, regionInfo, regionRead, regionWrite, writeMulti } from './regions.js';

/** Each built-in handler, typed by its command: it takes that command's message and answers with that command's reply body. */
export const builtIn: { readonly [C in KnownCmd]?: Handler<C> } = {
  [VFIO_USER_DMA_MAP]: dmaMap,
  [VFIO_USER_DMA_UNMAP]: dmaUnmap,
  [VFIO_USER_DEVICE_GET_INFO]: deviceInfo,
  [VFIO_USER_DEVICE_GET_REGION_INFO]: regionInfo,
  [VFIO_USER_DEVICE_GET_REGION_IO_FDS]: ioFds,
  [VFIO_USER_DEVICE_GET_IRQ_INFO]: irqInfo,
  [VFIO_USER_DEVICE_SET_IRQS]: setIrqs,
  [VFIO_USER_REGION_READ]: regionRead,
  [VFIO_USER_REGION_WRITE]: regionWrite,
  [VFIO_USER_DEVICE_RESET]: deviceReset,
  [VFIO_USER_REGION_WRITE_MULTI]: writeMulti,
  [VFIO_USER_DEVICE_FEATURE]: feature,
  [VFIO_USER_MIG_DATA_READ]: migDataRead,
  [VFIO_USER_MIG_DATA_WRITE]: migDataWrite,
  [VFIO_USER_IOMMUFD_ALLOC_IOAS]: allocIoas,
  [VFIO_USER_IOMMUFD_DESTROY_IOAS]: destroyIoas,
  [VFIO_USER_IOMMUFD_IOAS_MAP]: ioasMap,
  [VFIO_USER_IOMMUFD_IOAS_UNMAP]: ioasUnmap,
  [VFIO_USER_IOMMUFD_BIND]: bind,
  [VFIO_USER_IOMMUFD_ATTACH_PT]: attach,
  [VFIO_USER_IOMMUFD_DETACH_PT]: detach,
};
