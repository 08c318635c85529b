/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The partition configuration: a /umbra node in the platform DT (binding:
 * dt/bindings/umbra.md). config_parse() reads and validates all of it
 * before anything starts; the host tool tools/umbra-config-check runs the
 * same code.
 */
#ifndef UMBRA_CONFIG_H
#define UMBRA_CONFIG_H

#include "config/platform.h"

#define MAX_PART_DEVICES 16
#define MAX_DEV_REGS 4                /* a PCIe host: ECAM and three windows */
#define MAX_DEV_IRQS 8
#define DEV_PATH_MAX 64
#define BOOTARGS_MAX 256
#define MAX_CHANNELS 8
#define MAX_PART_CHANNELS 4
#define VUART_SIZE 0x1000             /* a virtual UART's MMIO window (one page) */

/* A platform device given to a partition (by DT path). */
struct dev_cfg {
	char path[DEV_PATH_MAX];
	struct mem_range reg[MAX_DEV_REGS];   /* MMIO, mapped page-rounded */
	unsigned nr_reg;
	u32 spi[MAX_DEV_IRQS];                /* INTIDs of its SPIs */
	unsigned nr_spi;
	bool dma;                             /* can master the bus (virtio, PCIe) */
	bool dma_unprotected;                 /* ... and the config accepts no IOMMU */
	bool pci;                             /* a PCIe host bridge (config_pci.c) */
	u32 iommu_phandle;                    /* iommu-map / iommus: its IOMMU, or 0 */
	u32 sid_base, nr_sids;                /* ... and the StreamIDs it uses there */
};

#define MAX_SHARED_DEVICES 8
#define SHARED_NAME_MAX 16

/* A device that moves between partitions at run time (umbra,shared-device
 * nodes; its id is its index among them). */
struct shared_dev_cfg {
	char name[SHARED_NAME_MAX];           /* the node's name */
	struct dev_cfg dev;
	u32 holders;                          /* bit per partition index that may hold it */
	int owner;                            /* initial holder's index, or -1: free */
};

/* One end of an inter-partition channel (binding: "Channels"), as the
 * partition at this end sees it. Filled in from the umbra,channel nodes. */
struct chan_end {
	unsigned id;                      /* index among umbra,channel nodes */
	struct mem_range mem;             /* the shared region, IPA == PA */
	u32 intid;                        /* INTID its doorbells arrive on */
	bool read_only;                   /* it may only read the region */
	bool first;                       /* first of `peers`: writes the lower ring */
	unsigned peer;                    /* the other partition's index */
	u32 peer_intid;                   /* INTID the peer's doorbells arrive on */
	char peer_name[PART_NAME_MAX];
};

struct part_cfg {
	char name[PART_NAME_MAX];
	u64 cpu_mpidr[MAX_PART_CPUS];     /* vCPU i runs on this physical CPU */
	unsigned nr_cpus;
	struct mem_range mem[MAX_PART_REGIONS]; /* IPA == PA */
	unsigned nr_mem;
	struct mem_range image;           /* where the bootloader placed it */
	u64 image_size;                   /* from its arm64 Image header */
	u64 text_offset;
	struct mem_range initrd;          /* optional: where the bootloader placed it */
	char bootargs[BOOTARGS_MAX];      /* optional: /chosen/bootargs */
	struct dev_cfg dev[MAX_PART_DEVICES];
	unsigned nr_dev;
	struct chan_end chan[MAX_PART_CHANNELS];
	unsigned nr_chan;
	u8 signer_key[65];                /* signer-key: SEC1 P-256 key, or its SHA-256 */
	u8 signer_key_len;                /* 65 or 32; 0: unsigned images accepted */
	u64 image_off;                    /* the image's offset in its staging region:
	                                   * the signed envelope's length, or 0 */
	u8 image_err;                     /* enum img_err: what is staged cannot start
	                                   * (the partition alone does not start) */
	const char *image_why;            /* ... and why, for the log */
	struct mem_range update;          /* optional update-staging region (IPA == PA) */
	char update_by[PART_NAME_MAX];    /* ... the partition that may write it */
	int update_writer;                /* ... its index (after validation) */
	u64 vuart;                        /* optional: its virtual UART's IPA */
	u32 vuart_intid;                  /* ... and interrupt (INTID) */
	bool event_reader;                /* event-reader: reads every partition's events */
	u8 on_failure;                    /* ON_FAILURE_*: what a failure does (config_policy.c) */
	u32 max_restarts;                 /* restarts by policy allowed within ... */
	u32 restart_window_ms;            /* ... this many milliseconds */
};

/* on-failure: absent, "stop", "restart" */
enum { ON_FAILURE_NONE, ON_FAILURE_STOP, ON_FAILURE_RESTART };
#define DEFAULT_MAX_RESTARTS 3
#define DEFAULT_RESTART_WINDOW_MS 60000u

struct umbra_config {
	struct part_cfg part[MAX_PARTITIONS];
	unsigned nr_parts;
	struct mem_range uds;             /* optional: the device secret's page */
	struct shared_dev_cfg shared[MAX_SHARED_DEVICES];
	unsigned nr_shared;
	struct mem_range chan_mem[MAX_CHANNELS]; /* channel regions, by id */
	unsigned nr_chans;
	bool console_colour;              /* /umbra console-colour: tags in colour */
	int console_focus;                /* partition with the input at boot; -1: first with a vuart */
};

struct cfg_env {
	const struct platform *plat;
	struct mem_range reserved[4];     /* Umbra's own memory (and the UDS) */
	unsigned nr_reserved;
	/* Read-only view of physical memory to check loaded images; NULL
	 * when images are not available (host checker). */
	const void *(*phys_view)(u64 pa, u64 len);
	/* The platform's SMMU (plat->smmu) confines the DMA of the devices
	 * behind it: the monitor's driver probed it; the host checker
	 * assumes it will. */
	bool smmu_ok;
};

/* Guest DT slot at the top of a partition's first region. */
#define ARM64_IMAGE_MAGIC 0x644d5241u /* "ARM\x64" */

/* Devices (config_devices.c): read the device at path for who (a message
 * prefix); false (reported) if it cannot be assigned. */
bool config_read_device(const void *fdt, const char *who, const char *path,
			struct dev_cfg *dc, struct diag *d);
/* A partition's dma-unprotected list (after its devices). */
void config_parse_dma_opt_in(const void *fdt, int node, struct part_cfg *pc, struct diag *d);
/* /umbra's umbra,shared-device nodes (after all partitions). */
void config_parse_shared(const void *fdt, int root, struct umbra_config *cfg, struct diag *d);
/* Every assignment against RAM, Umbra, each other and the DT's other
 * devices; DMA masters need an IOMMU or the opt-in. */
void config_check_devices(const void *fdt, const struct cfg_env *env,
			  const struct umbra_config *cfg, struct diag *d);

/* PCIe host bridges (config_pci.c): the MMIO windows of `ranges` the
 * partition can reach (added to dc->reg), the INTx SPIs of
 * `interrupt-map` (to dc->spi). false after a diagnostic. */
bool config_read_pci(const void *fdt, int node, const char *who, struct dev_cfg *dc,
		     struct diag *d);
/* The StreamIDs of a bus master: iommu-map (PCIe) or iommus. */
bool config_read_streams(const void *fdt, int node, const char *who, struct dev_cfg *dc,
			 struct diag *d);
/* A window of `ranges` a partition can be given: inside the IPA space. */
bool config_pci_window_usable(u64 base, u64 size);

/* Where a partition's initrd is placed (IPA) */
u64 config_initrd_ipa(const struct part_cfg *pc);

/* The umbra,channel nodes (config_channel.c): parsed and checked against
 * the partitions, which config_parse has read and checked before. */
void config_channels(const void *fdt, int root, int ac, int sc, const struct cfg_env *env,
		     struct umbra_config *cfg, struct diag *d);
/* The index of the partition called name, or -1 (config.c) */
int config_part_index(const struct umbra_config *cfg, const char *name);
/* event-reader, on-failure, max-restarts, restart-window-ms (config_policy.c) */
void config_parse_policy(const void *fdt, int node, struct part_cfg *pc, struct diag *d);
/* The vuart properties (config_vuart.c) */
void config_parse_vuart(const void *fdt, int node, int ac, struct part_cfg *pc, struct diag *d);
void config_check_vuart(const void *fdt, const struct platform *plat, const struct part_cfg *pc,
			struct diag *d);
void config_check_console(const void *fdt, int root, const struct platform *plat,
			  struct umbra_config *cfg, struct diag *d);

/* The first memory range of a parsed cfg in [base, base + size), named;
 * NULL if none. */
const char *config_range_user(const struct umbra_config *cfg, u64 base, u64 size);
/* env->reserved gains the UDS region if the config names one. */
unsigned config_parse(const void *fdt, struct cfg_env *env,
		      struct umbra_config *cfg, struct diag *d);

#endif
