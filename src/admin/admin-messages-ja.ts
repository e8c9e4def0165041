// Back-office strings (Japanese). Kept apart from the storefront catalogs so the two evolve
// without edit collisions; admin-messages-en.ts must match this shape.
import type { AdminRole } from './admin-tables.ts';
import { securityAreaMessagesJa } from './security-messages.ts';
import { accessSignalMessagesJa } from './access-signals/access-signal-messages.ts';

export const adminMessagesJa = {
  title: '管理画面',
  skipToContent: '本文へ移動',
  nav: { inquiries: 'お問い合わせ', salesReport: '売上レポート', label: '管理メニュー', dashboard: 'ダッシュボード', accounts: 'アカウント', products: '商品', orders: '注文', audit: '監査ログ', status: 'システム状態', security: 'セキュリティ設定', incidents: 'インシデント', logout: 'ログアウト', logoutEverywhere: 'すべての端末からログアウト' },
  roles: { owner: 'オーナー', staff: 'スタッフ', vendor: '委託ベンダー', auditor: '監査担当' } satisfies Record<AdminRole, string>,
  signedInAs: (email: string, role: string) => `${email}（${role}）としてログイン中`,
  login: {
    title: 'ログイン',
    email: 'メールアドレス',
    password: 'パスワード',
    submit: 'ログイン',
    invalid: 'メールアドレスまたはパスワードが正しくありません。',
    locked: '失敗が続いたため、ログインは一時的にロックされています。しばらくしてから再度お試しください。',
    expired: 'セッションの有効期限が切れました。もう一度ログインしてください。',
    loggedOut: 'ログアウトしました。',
  },
  mfa: {
    verifyTitle: '二段階認証',
    verifyIntro: '認証アプリに表示されている6桁のコード、または回復コードを入力してください。',
    code: '確認コード',
    submit: '確認',
    invalid: 'コードが正しくありません。',
    enrolTitle: '二段階認証の設定',
    enrolIntro: '管理画面では二段階認証が必須です。認証アプリ（Google Authenticator、Microsoft Authenticator など）で QR コードを読み取ってください。',
    qrLabel: '認証アプリ用の QR コード',
    secretLabel: 'QR コードを読み取れない場合は、このキーを入力してください:',
    enrolCode: 'アプリに表示された6桁のコード',
    enrolSubmit: '設定を完了',
    recoveryTitle: '回復コード',
    recoveryIntro: '認証アプリを使えなくなったときのための回復コードです。各コードは1回だけ使えます。安全な場所に保管してください。この画面は二度と表示されません。',
    continue: 'ダッシュボードへ進む',
  },
  setup: {
    title: '最初のオーナーアカウントを作成',
    intro: 'このリンクは1回だけ、30分間有効です。パスワードは12文字以上で、よく使われるパスワードは使えません。',
    passwordConfirm: 'パスワード（確認）',
    submit: 'アカウントを作成',
    invalidLink: 'このセットアップリンクは無効か期限切れです。ショップを再起動すると新しいリンクが表示されます。',
    done: 'オーナーアカウントを作成しました。ログインして二段階認証を設定してください。',
    mismatch: '確認用のパスワードが一致しません。',
  },
  password: {
    PASSWORD_TOO_SHORT: 'パスワードは12文字以上にしてください。',
    PASSWORD_TOO_LONG: 'パスワードが長すぎます。',
    PASSWORD_COMMON: 'このパスワードはよく使われている、または流出したパスワードに似ているため使えません。',
    EMAIL_TAKEN: 'このメールアドレスは既に使われています。',
  },
  dashboard: { title: 'ダッシュボード', intro: '権限に応じたメニューを表示しています。', sessions: 'アクティブなセッション' },
  accounts: {
    title: 'アカウント',
    email: 'メールアドレス', role: '役割', mfa: '二段階認証', status: '状態', refundLimit: '返金上限（円）', accessExpires: 'アクセス期限（UTC）',
    enrolled: '設定済み', notEnrolled: '未設定', active: '有効', disabled: '無効',
    create: 'アカウントを追加', createSubmit: '追加', initialPassword: '初期パスワード',
    update: '更新', resetMfa: '二段階認証をリセット（端末紛失時）', disable: '無効にする', enable: '有効にする',
    created: 'アカウントを追加しました。', updated: 'アカウントを更新しました。',
    cannotChangeSelf: '自分自身の役割や状態は変更できません。',
    invalid: '入力内容を確認してください。',
  },
  catalog: {
    images: '商品画像', addImage: '画像を追加', imageFile: '画像ファイル（PNG・JPEG・WebP、10MBまで。サーバーで縮小し、位置情報などのメタデータを取り除いて保存します）', altJa: '代替テキスト（日本語）', altEn: '代替テキスト（英語）', upload: 'アップロード',
    imageErrors: { NO_FILE: '画像ファイルを選択してください。', TOO_LARGE: '画像は10MBまでです。', NOT_AN_IMAGE: 'PNG・JPEG・WebPの画像だけを受け付けます。', ALT_REQUIRED: '代替テキストを日本語と英語の両方で入力してください（300文字まで）。', TOO_MANY_IMAGES: '画像は1商品につき12枚までです。', PRODUCT_NOT_FOUND: '商品が見つかりません。', MALWARE_FOUND: 'このファイルからマルウェアが検出されたため受け付けませんでした。何も保存されていません。オーナーに警告を送りました。', MALWARE_SCAN_UNAVAILABLE: 'マルウェア検査を行えないため、アップロードを受け付けられません（ウイルス検査サービス clamd が応答しません）。何も保存されていません。しばらくしてから再度お試しください。' },
    title: '商品', newProduct: '商品を追加', importExport: 'CSVで取り込む・書き出す', edit: '編集', name: '商品名', status: '状態', price: '価格（税込・円）', stock: '在庫', taxRate: '税率',
    active: '販売中', archived: 'アーカイブ', standardRate: '10%（標準税率）', reducedRate: '8%（軽減税率）',
    slug: 'URL 名（英小文字・数字・ハイフン）', category: 'カテゴリ', nameJa: '商品名（日本語）', nameEn: '商品名（英語）', descriptionJa: '説明（日本語）', descriptionEn: '説明（英語）', reading: '読み（検索用。ひらがなかカタカナを空白区切りで。例: 抹茶 → まっちゃ）',
    variants: 'バリエーション', sku: 'SKU', variantNameJa: 'バリエーション名（日本語）', variantNameEn: 'バリエーション名（英語）', initialStock: '初期在庫',
    save: '保存', create: '作成', addVariant: 'バリエーションを追加', adjustStock: '在庫を調整', delta: '増減数（減らすときはマイナス）', reason: '理由', adjust: '調整',
    history: '在庫調整の履歴', when: '日時', saved: '保存しました。', viewInStore: 'ストアで見る',
    errors: { SLUG_TAKEN: 'この URL 名は既に使われています。', SKU_TAKEN: 'この SKU は既に使われています。', CATEGORY_NOT_FOUND: 'カテゴリが見つかりません。', PRODUCT_NOT_FOUND: '商品が見つかりません。', VARIANT_NOT_FOUND: 'バリエーションが見つかりません。', NEGATIVE_STOCK: '在庫をマイナスにはできません。', cardNumber: 'カード番号は入力できません。', invalid: '入力内容を確認してください。' },
  },
  orders: {
    title: '注文', filters: '絞り込み', status: '注文状態', paymentStatus: '決済状態', from: '開始日', to: '終了日', text: '注文番号・メール・氏名', apply: '絞り込む', any: 'すべて',
    number: '注文番号', date: '日時', total: '合計', refunded: '返金済み', customer: 'お客様', none: '該当する注文はありません。', count: (n: number) => `${n}件`,
    export: 'CSV をダウンロード', previous: '前へ', next: '次へ',
    statuses: { pending_payment: '支払い待ち', paid: '支払い済み', fulfilled: '発送済み', cancelled: 'キャンセル', expired: '期限切れ', payment_review: '決済確認中' } as Record<string, string>,
    items: '商品', quantity: '数量', unitPrice: '単価', shipping: '送料', taxOf: (rate: number) => `内消費税（${rate}%）`, address: 'お届け先', phone: '電話番号', email: 'メール',
    timeline: '履歴', refunds: '返金',
    fulfil: '発送済みにする', carrier: '配送業者', tracking: '追跡番号',
    cancel: '注文をキャンセル', reason: '理由',
    refund: '返金', amount: '返金額（円、空欄で残額すべて）', refundLimit: (limit: string) => `あなたの返金上限: ${limit}`,
    refundLimitLeft: (limit: string, used: string, left: string) => `あなたの返金上限は1件の注文につき${limit}で、この注文であなたが行った返金（キャンセルに伴う返金を含む）の合計に適用されます。この注文での返金済み: ${used}、残り: ${left}。`,
    done: { fulfilled: '発送済みにしました。お客様にメールを送りました。', cancelled: '注文をキャンセルしました。', refunded: '返金しました。お客様にメールを送りました。' },
    errors: {
      NOT_FULFILLABLE: 'この注文は発送済みにできません（支払い済みの注文のみ）。', NOT_CANCELLABLE: 'この注文はキャンセルできません。', NOT_REFUNDABLE: 'この注文は返金できません。',
      AMOUNT_TOO_LARGE: '返金額が残額を超えています。', OVER_LIMIT: '返金額があなたの返金上限を超えています。オーナーに依頼してください。',
      GATEWAY_UNAVAILABLE: '決済代行会社に接続できません。しばらくしてからもう一度お試しください。', GATEWAY_REJECTED: '決済代行会社が処理を拒否しました。',
      ORDER_NOT_FOUND: '注文が見つかりません。', invalid: '入力内容を確認してください。',
    },
  },
  audit: {
    title: '監査ログ', search: '検索', actor: '実行者', action: '操作', target: '対象', from: '開始（UTC）', to: '終了（UTC）', text: 'キーワード', apply: '検索',
    id: '番号', when: '日時', ip: 'IP', change: '変更内容', older: 'さらに古い記録', none: '該当する記録はありません。',
    export: 'JSON Lines でエクスポート', verify: 'ハッシュチェーンを検証', verifyTitle: '監査ログの検証',
    intact: (n: number) => `改ざんは検出されませんでした（${n}件を検証）。`,
    broken: (id: number, reason: string) => `記録 ${id} でチェーンが壊れています（${reason}）。`,
    anchorsMissing: 'アンカーファイルがないため、末尾の削除は検出できません。',
    invalid: '検索条件を確認してください。',
  },
  status: { notices: 'セキュリティ上の注意', noNotices: '現在、注意事項はありません。', noticeSources: { 'security-check': 'セキュリティチェック', 'external-scan': '外部スキャン' }, noticeCommand: '対処:', jobs: 'ジョブ', title: 'システム状態', database: 'データベース', node: 'Node.js', uptime: '稼働時間（秒）', securityCheck: '最新のセキュリティチェック', noSecurityCheck: 'まだ実行されていません', securityCheckResult: (at: string, status: string, findings: number, violations: number) => `${at}: ${status}（検出 ${findings}件、ポリシー違反 ${violations}件）` },
  security: { title: 'セキュリティ設定', ipAllowList: '管理画面の IP 許可リスト', ipAllowListOff: '未設定（すべての IP から接続可能）', sessionPolicy: 'セッション: 無操作15分、最長12時間で失効', lockPolicy: 'ログイン: 6回連続で失敗すると15分間ロック', mfaPolicy: '二段階認証: 全アカウントで必須' },
  securityArea: securityAreaMessagesJa,
  accessSignals: accessSignalMessagesJa,
  // Monthly security report sign-off (src/security-committee/): the menu entries only.
  securityCommitteeNav: { reports: 'セキュリティ報告', committee: 'セキュリティ委員会' },
  errors: { forbidden: 'このページを表示する権限がありません。', ipRefused: 'この IP アドレスからは管理画面にアクセスできません。', notFound: 'ページが見つかりません。', csrf: 'フォームの有効期限が切れました。ページを再読み込みしてもう一度お試しください。', badRequest: '入力内容を確認してください。' },
  // The compliance map's menu entry (src/compliance/; its page strings live there).
  complianceNav: 'コンプライアンス対応表',
  // Shipping settings' menu entry (src/shipping/; its page strings live there).
  customersNav: '会員管理',
  couponsNav: 'クーポン',
  shippingSettingsNav: '配送設定',
  // Shop settings' menu entry (src/shop-settings/; its page strings live there).
  shopSettingsNav: 'ショップ設定',
  // Payment settings' menu entry (src/payment-methods/; its page strings live there).
  paymentSettingsNav: 'お支払い方法の設定',
};

export type AdminMessages = typeof adminMessagesJa;
