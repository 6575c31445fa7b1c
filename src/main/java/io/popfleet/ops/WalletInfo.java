package io.popfleet.ops;

import java.util.Map;

/**
 * What {@code pop wallet-info} reports: the reward wallet in node.conf, the unit and the running process.
 *
 * @param consistent whether every place that names a wallet names the same one
 */
public record WalletInfo(String wallet, Boolean valid, String unitWallet, String processWallet, Boolean consistent,
        String explorerUrl) implements NodeAnswer {

    static WalletInfo read(Map<String, Object> data) {
        return new WalletInfo(AnswerFields.text(data.get("wallet")), AnswerFields.bool(data.get("valid")),
                AnswerFields.text(data.get("unit_wallet")), AnswerFields.text(data.get("process_wallet")),
                AnswerFields.bool(data.get("consistent")), AnswerFields.text(data.get("explorer_url")));
    }
}
