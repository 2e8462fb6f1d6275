/**
 * The variable tails of messages, in the spec's own words: a struct present
 * when a named flag is set, bytes whose length a field or the dirty-bitmap
 * formula gives, arrays of structs or unions, a payload chosen by fields'
 * values, a capability chain. commands.ts and dialects.ts use them; the
 * generator turns them into types, codecs and docs.
 */
import type { CapabilityCaseSpec, InnerTailSpec, PayloadCaseSpec, TailSpec } from './types.js';

/** DMA_UNMAP's vfio_user_bitmap: present with GET_DIRTY_BITMAP, sized for the window being unmapped. */
export const unmapBitmap = {
  kind: 'optional',
  name: 'bitmap',
  struct: 'vfio_user_bitmap',
  when: { field: 'flags', flag: 'VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP' },
  checks: [
    { kind: 'limit', field: 'size', limit: 'maxBitmapBytes' },
    { kind: 'power-of-two', field: 'pgsize' },
    { kind: 'bitmap-size', field: 'size', length: 'size', pageSize: 'pgsize' },
  ],
} as const;

/** The bitmap.size bytes after a vfio_user_bitmap. */
export const bitmapData: InnerTailSpec = { kind: 'bytes', name: 'data', length: { field: 'size' }, doc: 'The bitmap; bit i stands for page i.' };

/** Legacy DIRTY_PAGES: a vfio_user_bitmap_range with GET_BITMAP. */
export const dirtyRange = {
  kind: 'optional',
  name: 'range',
  struct: 'vfio_user_bitmap_range',
  when: { field: 'flags', flag: 'VFIO_IOMMU_DIRTY_PAGES_FLAG_GET_BITMAP' },
  checks: [{ kind: 'limit', field: 'bitmap.size', limit: 'maxBitmapBytes' }],
} as const;

/** GET_REGION_INFO's capabilities, by id. */
const regionCapCases: readonly CapabilityCaseSpec[] = [
  {
    kind: 'sparse_mmap',
    type: 'SparseMmapCap',
    id: 'VFIO_REGION_INFO_CAP_SPARSE_MMAP',
    struct: 'vfio_region_info_cap_sparse_mmap',
    then: { kind: 'array', name: 'areas', of: 'vfio_region_sparse_mmap_area', length: { field: 'nr_areas' }, limit: 'maxSparseAreas', doc: 'nr_areas areas.' },
    doc: 'Capability 1: vfio_region_info_cap_sparse_mmap.',
  },
  { kind: 'type', type: 'TypeCap', id: 'VFIO_REGION_INFO_CAP_TYPE', struct: 'vfio_region_info_cap_type', doc: 'Capability 2: vfio_region_info_cap_type.' },
  { kind: 'msix_mappable', type: 'MsixMappableCap', id: 'VFIO_REGION_INFO_CAP_MSIX_MAPPABLE', doc: 'Capability 3: MSI-X mappable, header only.' },
];

export const regionCaps: TailSpec = {
  kind: 'chain',
  name: 'caps',
  type: 'RegionCap',
  header: 'vfio_info_cap_header',
  headerType: 'CapHeader',
  offsetField: 'cap_offset',
  when: { field: 'flags', flag: 'VFIO_REGION_INFO_FLAG_CAPS' },
  limit: 'maxRegionCaps',
  cases: regionCapCases,
  doc: 'The capability chain, from cap_offset by next.',
};

const FEATURE_INDEX = ['VFIO_DEVICE_FEATURE_MASK'];
const FEATURE_OP = ['VFIO_DEVICE_FEATURE_GET', 'VFIO_DEVICE_FEATURE_SET', 'VFIO_DEVICE_FEATURE_PROBE'];
const get = { field: 'flags', mask: FEATURE_OP, is: ['VFIO_DEVICE_FEATURE_GET'] } as const;
const set = { field: 'flags', mask: FEATURE_OP, is: ['VFIO_DEVICE_FEATURE_SET'] } as const;
const feature = (...is: string[]) => ({ field: 'flags', mask: FEATURE_INDEX, is }) as const;

const migState: PayloadCaseSpec = {
  kind: 'mig_state',
  when: [feature('VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE'), set],
  struct: 'vfio_user_device_feature_mig_state',
  doc: 'vfio_user_device_feature_mig_state (feature 2: GET reply, SET request and reply).',
};
const loggingControl: PayloadCaseSpec = {
  kind: 'dma_logging_control',
  when: [feature('VFIO_DEVICE_FEATURE_DMA_LOGGING_START', 'VFIO_DEVICE_FEATURE_DMA_LOGGING_STOP'), set],
  struct: 'vfio_user_device_feature_dma_logging_control',
  then: { kind: 'array', name: 'ranges', of: 'vfio_user_device_feature_dma_logging_range', length: { field: 'num_ranges' }, limit: 'maxLoggingRanges', doc: 'num_ranges ranges.' },
  doc: 'vfio_user_device_feature_dma_logging_control with its ranges (features 6 and 7, SET).',
};

/** DEVICE_FEATURE request payloads; PROBE and other features keep their bytes raw. */
export const featureRequest: readonly PayloadCaseSpec[] = [
  { kind: 'none', when: [feature('VFIO_DEVICE_FEATURE_MIGRATION', 'VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE'), get], doc: 'No payload (a GET request of MIGRATION or MIG_DEVICE_STATE).' },
  {
    kind: 'dma_logging_report',
    when: [feature('VFIO_DEVICE_FEATURE_DMA_LOGGING_REPORT'), get],
    struct: 'vfio_user_device_feature_dma_logging_report',
    then: { kind: 'bytes', name: 'bitmap', length: { fixed: 0 }, doc: 'Empty in the request.' },
    replyBitmap: { length: 'length', pageSize: 'page_size', limit: 'maxBitmapBytes' },
    doc: 'vfio_user_device_feature_dma_logging_report (feature 8, GET); the bitmap comes in the reply.',
  },
  migState,
  loggingControl,
];

/** DEVICE_FEATURE reply payloads. */
export const featureReply: readonly PayloadCaseSpec[] = [
  { kind: 'migration', when: [feature('VFIO_DEVICE_FEATURE_MIGRATION'), get], struct: 'vfio_user_device_feature_migration', doc: 'vfio_user_device_feature_migration (GET reply of feature 1).' },
  { ...migState, when: [feature('VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE'), get] },
  {
    kind: 'dma_logging_report',
    when: [feature('VFIO_DEVICE_FEATURE_DMA_LOGGING_REPORT'), get],
    struct: 'vfio_user_device_feature_dma_logging_report',
    then: { kind: 'bytes', name: 'bitmap', length: { bitmap: { length: 'length', pageSize: 'page_size' } }, limit: 'maxBitmapBytes', doc: 'The dirty bitmap, bit i for page i.' },
    doc: 'vfio_user_device_feature_dma_logging_report with its bitmap (feature 8, GET).',
  },
  migState,
  loggingControl,
];

