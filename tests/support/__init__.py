"""What the tests of every engine share: running Checkov and cfn-lint in-process, the expected-results
manifest, and real Terraform."""
