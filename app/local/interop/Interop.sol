// SPDX-License-Identifier: Apache-2.0
// The contract the interop suite (test/interop.test.ts) deploys on ganache and Hardhat:
// it emits events, reverts with a reason string and with custom-error data.
// Compiled by scripts/compile-interop-contract.js into interop-contract.json.
pragma solidity 0.8.26;

contract Interop {
    error Insufficient(uint256 available, uint256 required);

    event Stored(address indexed by, uint256 indexed key, string value);

    mapping(uint256 => string) public values;

    function store(uint256 key, string calldata value) external {
        values[key] = value;
        emit Stored(msg.sender, key, value);
    }

    function failWithReason() external pure {
        revert("Interop: no reason to succeed");
    }

    function failWithCustomError(uint256 required) external pure {
        revert Insufficient(1, required);
    }
}
