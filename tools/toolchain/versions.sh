# Versions of the Go-built tools. Each must match the `require` line of its
# wrapper module in this folder; the cache is keyed by these strings.
# shellcheck disable=SC2034
PULUMI_VERSION=v3.274.1   # newest pkg/v3 + sdk/v3 pair on the Go module proxy
ETCD_VERSION=v3.6.16      # newest 3.6 patch; kube-apiserver 1.37 supports etcd 3.5.13+ and 3.6
KUBE_VERSION=v1.37.2      # newest k8s.io/kubernetes on the Go module proxy
LANGUAGE_NODEJS_VERSION=v3.260.0  # the pkg/v3 + sdk/v3 release the language host's source (../shared/third-party/pulumi-language-nodejs) builds against
GO_MIN=1.26.6             # the highest `go` line among the wrapper modules
OVIRT_SDK_VERSION=4.6.3  # ovirt-engine-sdk-python on PyPI, the engine's own Python SDK (peer client in tests)
ANSIBLE_VERSION=9.13.0   # PyPI's community package: ansible-core 2.16 with ovirt.ovirt 3.2.0 (Debian's ovirt.ovirt 2.4.1 calls inspect.getargspec, gone in Python 3.11)
