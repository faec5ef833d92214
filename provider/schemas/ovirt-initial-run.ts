/**
 * The Initial Run tab of the New Pool window: cloud-init for Linux templates,
 * sysprep for Windows templates (seed 001, "Creating a Virtual Machine
 * Pool", step 12). The engine keeps one initialization per VM (`VmInit`):
 * one user name with one password, SSH keys, a custom script (for Windows
 * the whole sysprep answer file), a time zone and a domain.
 *
 * Credentials (`password`, `adminPassword`, `customFile`, `customScript`) must be Pulumi
 * secrets; the `VmPool` resource marks them secret itself, and the provider
 * keeps only a salted hash of them in its outputs (see
 * `backends/ovirt/initial-run-secrets.ts`).
 */
import { z } from "zod";

/** cloud-init, for Linux templates. */
export const cloudInitSchema = z.strictObject({
  /**
   * One host name for the VM, for a pool of one VM only: the engine copies
   * one initialization to every pool VM, so all would share it.
   * @default none: the guest keeps the name its image or DHCP gives it
   */
  hostName: z.string().min(1, "must not be empty").max(255, "must be at most 255 characters").optional(),
  /**
   * The user cloud-init creates or sets a password for (the engine keeps
   * one). A `password` here is stored by the engine, which then refuses
   * every later edit of a stateless pool's VMs, so a change of any VM
   * setting replaces such a pool; a password set in `customScript` does
   * not. @default "root"
   */
  user: z
    .strictObject({
      /** User name. */
      name: z.string().min(1, "must name a user"),
      /** The user's password; a secret. @default no password */
      password: z.string().min(1, "must not be empty").optional(),
    })
    .optional(),
  /** Public SSH keys authorized for the user, one per entry. @default none */
  sshKeys: z.array(z.string().min(1, "must not be empty")).optional(),
  /**
   * A cloud-config document run on first boot; a secret, as it may set
   * passwords (`chpasswd`), which, unlike `user.password`, leaves the VMs
   * editable later. @default none
   */
  customScript: z.string().optional(),
  /** The guest's time zone, e.g. `Europe/Berlin`. @default the template's */
  timeZone: z.string().min(1, "must name a time zone").optional(),
});

/** sysprep, for Windows templates. */
export const sysprepSchema = z.strictObject({
  /**
   * A custom sysprep answer file (`unattend.xml`), replacing the engine's
   * default for the OS; a secret, as it usually holds the domain join
   * credentials. @default the engine's default file
   */
  customFile: z.string().min(1, "must not be empty").optional(),
  /** The Active Directory domain the VMs join. @default none */
  domain: z.string().min(1, "must name a domain").optional(),
  /** The organizational unit the VMs' computer accounts go to. @default the domain's default */
  organizationalUnit: z.string().min(1, "must not be empty").optional(),
  /** Name of the local administrator. @default "user" (the engine's) */
  adminUser: z.string().min(1, "must not be empty").optional(),
  /**
   * Password of the local administrator; a secret. Stored by the engine,
   * which then refuses every later edit of a stateless pool's VMs (a change
   * of any VM setting replaces such a pool); a password in `customFile`
   * does not. @default none
   */
  adminPassword: z.string().min(1, "must not be empty").optional(),
  /** The Windows time zone, e.g. `W. Europe Standard Time`. @default the template's */
  timeZone: z.string().min(1, "must name a time zone").optional(),
});

/** `backend.vm.initialRun`: at most one of the two. */
export const initialRunSchema = z.strictObject({
  /** cloud-init settings, for Linux templates. */
  cloudInit: cloudInitSchema.optional(),
  /** sysprep settings, for Windows templates. */
  sysprep: sysprepSchema.optional(),
});

/** Input paths under `backend.vm.initialRun` that hold credentials. */
export const INITIAL_RUN_SECRET_PATHS: readonly (readonly string[])[] = [
  ["cloudInit", "user", "password"],
  ["cloudInit", "customScript"],
  ["sysprep", "adminPassword"],
  ["sysprep", "customFile"],
];

/**
 * Whether the initial run stores a password in the engine's `VmInit`
 * (`root_password`). The engine then refuses every later edit of a
 * stateless pool's VM (`UpdateVmCommand` compares the VM's initialization
 * with the stored one, and a client never gets the stored password back:
 * `ACTION_TYPE_CANNOT_CHANGE_INITIAL_RUN_DATA`).
 */
export function hasStoredPassword(run: { cloudInit?: { user?: { password?: unknown } | undefined } | undefined; sysprep?: { adminPassword?: unknown } | undefined } | undefined): boolean {
  return run?.cloudInit?.user?.password !== undefined || run?.sysprep?.adminPassword !== undefined;
}

/** `backend.vm.initialRun` after parsing. */
export type InitialRun = z.infer<typeof initialRunSchema>;
