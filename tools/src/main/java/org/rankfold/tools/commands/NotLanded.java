package org.rankfold.tools.commands;

import org.rankfold.tools.UserError;

/** What a command says while the issue that builds it has not landed: the truth, and exit code 2. */
final class NotLanded {
    private NotLanded() {
    }

    static UserError because(String command, int issue, String what) {
        return new UserError("'" + command + "' is not available yet: " + what + " lands with issue #" + issue
                + " of the project tracker.");
    }
}
